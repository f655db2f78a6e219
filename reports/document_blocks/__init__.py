"""The measures document and its two reports as a list of blocks: headings, paragraphs, lists,
tables, the contents, page breaks and the signature.

Both renderers walk the same blocks (reports/pdf/document.html through WeasyPrint, and
reports.docx with python-docx), so the PDF and the Word file never say different things. Blocks
are plain dicts; every text in them has its digits written once, here, in the style asked for
(Thai digits: every figure, table number and date). Pure: no queries, no Django models.

Narratives the agency may edit (the foreword, the summary, each indicator's analysis, the
suggestions) come from its saved text when there is one, else from the draft written here.
Saved texts use a small plain-text convention: a blank line starts a paragraph, a line starting
with "- " is a list item.

The package, one job a module: writers (the kinds of block, the writers of one block or figure,
the digits), drafts (the narratives' drafts), frame (memo, cover, signature), analysis (section
1), measures (the whole measures document) and progress (the twelve-month and O25 reports).
"""
