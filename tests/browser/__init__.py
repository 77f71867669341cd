"""The report and the strategy on a page, opened in a real browser."""
