"""Clients for the Trello and Google Sheets APIs, and local emulators of both; knows nothing of boardsheet."""
