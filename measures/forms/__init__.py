"""Forms of the measures app: they validate input; services do the writing.

reports: progress reports, their review and evidence; plans: plans, measures, activities, rounds,
review settings and the dashboard's filters.
"""
