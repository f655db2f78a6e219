from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tools import sarabun_sara_am as build

FONTS = sorted((Path(__file__).resolve().parents[2] / "static" / "fonts" / "sarabun").glob("*.ttf"))


@pytest.fixture(params=FONTS, ids=[path.stem for path in FONTS])
def font(request) -> TTFont:
    return TTFont(request.param)


def _thai_ccmp_ligatures(font: TTFont) -> dict:
    gsub = font["GSUB"].table
    found = {}
    for feature in build._thai_ccmp_features(gsub):
        for index in feature.Feature.LookupListIndex:
            for subtable in gsub.LookupList.Lookup[index].SubTable:
                for first, ligatures in getattr(subtable, "ligatures", {}).items():
                    for ligature in ligatures:
                        found[(first, *ligature.Component)] = ligature.LigGlyph
    return found


def test_it_has_built_every_vendored_font(font):
    assert len(FONTS) == 5
    assert build.is_built(font)
    assert build.build(font) is False  # a second build changes nothing


def test_it_fuses_each_nikhahit_glyph_with_sara_aa(font):
    ligatures = _thai_ccmp_ligatures(font)
    nikhahits = build.nikhahit_glyphs(font)
    assert len(nikhahits) == 10  # plain, narrow, and each with one of four tone marks
    for nikhahit in nikhahits:
        assert ligatures[(nikhahit, build.SARA_AA)] == build.ligature_name(nikhahit)
    assert ligatures[(build.NIKHAHIT, build.SARA_AA)] == build.SARA_AM


def test_the_fused_glyphs_advance_as_sara_aa_and_draw_both_parts(font):
    advance = font["hmtx"][build.SARA_AA][0]
    for nikhahit in build.nikhahit_glyphs(font):
        name = build.ligature_name(nikhahit)
        assert font["hmtx"][name][0] == advance, name
        glyph = font["glyf"][name]
        if name != build.SARA_AM:
            assert [c.glyphName for c in glyph.components] == [nikhahit, build.SARA_AA]
