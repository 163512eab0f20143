"""Text analysis shared by documents and questions: terms for the index, proper names for autocomplete."""
