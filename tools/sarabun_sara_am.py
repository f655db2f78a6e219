"""Give Sarabun one glyph per sara am (ำ), so that text copied out of a PDF keeps the ำ.

Why: every shaping engine (HarfBuzz, in WeasyPrint and the browsers) splits sara am into nikhahit
(ํ) and sara aa (า), moves the nikhahit before any tone mark, and keeps the pieces in one
cluster; Sarabun then fuses nikhahit and tone into one mark glyph. WeasyPrint writes a PDF's
ToUnicode map glyph by glyph, giving a cluster's text to its last glyph and nothing to the
others, and a glyph keeps the text it got first. So the nikhahit glyph maps to nothing and sara
aa maps to "า" or "ำ", whichever the document met first: pdftotext reads ดาเนิน for ดำเนิน, or
กำร for การ.

The build appends one ligature lookup to the Thai `ccmp` feature, applied after Sarabun's own:
each nikhahit glyph (plain, narrow, fused with a tone mark) followed by sara aa becomes a single
glyph drawn as the two (the precomposed uni0E33 for the plain one, a composite of the two glyphs
for the others). A sara am cluster is then one glyph whose ToUnicode entry is the cluster's text,
ำ or tone + ำ; a typed nikhahit + sara aa gives the same glyph, and "ํา" is NFKC-equal to "ำ".
The marks sit where Sarabun's precomposed ำ draws them (within 10 font units of the GPOS
attachment for every consonant but ป ฝ ฟ, which never carry ำ).

Run from the project root; it rewrites the files in place and is idempotent:
    .venv/bin/python tools/sarabun_sara_am.py static/fonts/sarabun/*.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

SARA_AA = "uni0E32"
SARA_AM = "uni0E33"
NIKHAHIT = "uni0E4D"
THAI = "thai"
BASE_GLYPH, MARK_GLYPH = 1, 3  # GDEF glyph classes
VERSION_NOTE = "; ITA Portal: one glyph per sara am (tools/sarabun_sara_am.py)"


def nikhahit_glyphs(font: TTFont) -> list[str]:
    """List the font's nikhahit mark glyphs: plain, narrow, and fused with a tone mark."""
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    return [
        name
        for name in font.getGlyphOrder()
        if name.startswith(NIKHAHIT) and classes.get(name) == MARK_GLYPH
    ]


def ligature_name(nikhahit: str) -> str:
    """Name the glyph that draws a nikhahit glyph followed by sara aa."""
    return SARA_AM if nikhahit == NIKHAHIT else f"{nikhahit}_{SARA_AA}"


def _add_composite(font: TTFont, name: str, nikhahit: str) -> None:
    glyph = Glyph()
    glyph.numberOfContours = -1
    glyph.components = []
    for part in (nikhahit, SARA_AA):
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = part, 0, 0, 0x4
        glyph.components.append(component)
    order = [*font.getGlyphOrder(), name]
    font.setGlyphOrder(order)
    glyf = font["glyf"]
    glyf.glyphOrder = order
    glyf.glyphs[name] = glyph
    glyph.recalcBounds(glyf)
    font["hmtx"][name] = (font["hmtx"][SARA_AA][0], glyph.xMin)
    font["GDEF"].table.GlyphClassDef.classDefs[name] = BASE_GLYPH


def _ligature_lookup(pairs: dict[str, str]) -> otTables.Lookup:
    subtable = otTables.LigatureSubst()
    subtable.Format = 1
    subtable.ligatures = {}
    for nikhahit, result in pairs.items():
        ligature = otTables.Ligature()
        ligature.Component, ligature.LigGlyph, ligature.CompCount = [SARA_AA], result, 2
        subtable.ligatures[nikhahit] = [ligature]
    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag = 4, 0
    lookup.SubTable, lookup.SubTableCount = [subtable], 1
    return lookup


def _thai_ccmp_features(gsub) -> list:
    features = []
    for record in gsub.ScriptList.ScriptRecord:
        if record.ScriptTag != THAI:
            continue
        systems = [record.Script.DefaultLangSys, *(r.LangSys for r in record.Script.LangSysRecord)]
        for system in filter(None, systems):
            for index in system.FeatureIndex:
                feature = gsub.FeatureList.FeatureRecord[index]
                if feature.FeatureTag == "ccmp" and feature not in features:
                    features.append(feature)
    return features


def is_built(font: TTFont) -> bool:
    """Tell whether the font already fuses every nikhahit glyph with a following sara aa."""
    gsub = font["GSUB"].table
    for feature in _thai_ccmp_features(gsub):
        for index in feature.Feature.LookupListIndex:
            for subtable in gsub.LookupList.Lookup[index].SubTable:
                ligatures = getattr(subtable, "ligatures", {})
                if all(
                    any(lig.Component == [SARA_AA] for lig in ligatures.get(nikhahit, []))
                    for nikhahit in nikhahit_glyphs(font)
                ):
                    return True
    return False


def build(font: TTFont) -> bool:
    """Add the sara am ligatures to a font; return False when it already has them."""
    if is_built(font):
        return False
    pairs = {}
    for nikhahit in nikhahit_glyphs(font):
        name = ligature_name(nikhahit)
        if name not in font["glyf"]:
            _add_composite(font, name, nikhahit)
        pairs[nikhahit] = name
    gsub = font["GSUB"].table
    gsub.LookupList.Lookup.append(_ligature_lookup(pairs))
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    # The new lookup has the highest index, so shapers apply it after Sarabun's own ccmp lookups
    # (the narrow nikhahit and the nikhahit + tone ligatures are made first).
    for feature in _thai_ccmp_features(gsub):
        feature.Feature.LookupListIndex.append(gsub.LookupList.LookupCount - 1)
        feature.Feature.LookupCount = len(feature.Feature.LookupListIndex)
    for record in font["name"].names:
        if record.nameID == 5 and VERSION_NOTE not in record.toUnicode():
            record.string = record.toUnicode() + VERSION_NOTE
    return True


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        font = TTFont(path)
        if build(font):
            font.save(path)
            print(f"{path}: sara am ligatures added")
        else:
            print(f"{path}: already built")


if __name__ == "__main__":
    main(sys.argv[1:])
