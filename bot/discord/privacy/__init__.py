"""/privacy and /forget-me for everyone."""
