"""spreadsheets.batchUpdate: the atomic apply and one module of request handlers per kind."""
