"""Requests the measures view tests send: who, where, and a report form's fields."""

from django.urls import reverse


def as_user(client, user):
    client.force_login(user)
    return client


def report_url(world, activity=None):
    return reverse("measures:report", args=[(activity or world.activity).pk, world.round.pk])


def report_post(version=0, **fields):
    data = {
        "status": "in_progress",
        "percent": "40",
        "results": "ผลงาน",
        "obstacles": "",
        "next_steps": "",
        "version": str(version),
    }
    data.update(fields)
    return data


def all_get_urls(world, report, evidence):
    year = world.plan.fiscal_year
    return [
        reverse("measures:index"),
        reverse("measures:plan", args=[year]),
        reverse("measures:dashboard", args=[year]),
        reverse("measures:activity", args=[world.activity.pk]),
        report_url(world),
        reverse("measures:evidence", args=[evidence.pk]),
    ]
