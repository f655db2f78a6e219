import os

# openpyxl writes through lxml when lxml is installed (python-docx brings it), and its lxml
# writer puts a carriage return into the XML raw, which every XML reader (Excel's too) reads back
# as a line feed: an exported "\r" would not survive. Its own writer escapes it. Set before
# anything imports openpyxl; this package is imported first, with the settings.
os.environ.setdefault("OPENPYXL_LXML", "False")
