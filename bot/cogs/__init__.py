"""Discord command groups. Each cog parses, calls the service, renders, and nothing more."""
