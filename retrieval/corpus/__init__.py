"""Reading a corpus folder into documents and their pieces, with the spans and links that cite them."""
