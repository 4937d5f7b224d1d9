"""What the public chat accepts: checked input, rate limits, and sessions bound to a browser."""
