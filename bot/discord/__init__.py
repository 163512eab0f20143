"""The Discord interface: `app` (the client) and one package per feature; `ui` holds the shared pieces.

Every handler parses, calls a service, renders and replies; nothing here reaches storage or retrieval
internals (enforced by tests/bot/test_architecture.py).
"""
