"""The Trello client: py-trello over a rate-limited, retrying requests.Session."""
