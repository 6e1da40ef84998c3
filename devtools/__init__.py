"""Developer tools: local stand-ins for cloud services (not imported by the app)."""
