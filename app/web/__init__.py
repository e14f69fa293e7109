"""The HTTP surface: webhooks, status, admin routes and the one JSON error shape."""
