"""The bundled seed corpus: the files beside this module are the documents."""
