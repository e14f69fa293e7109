"""Local HTTP emulators of the Trello and Google Sheets APIs, for tests, the demo and benchmarks."""
