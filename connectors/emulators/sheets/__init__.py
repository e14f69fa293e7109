"""The Google Sheets v4 emulator: in-memory spreadsheets behind the real API's paths (`app.create_app`)."""
