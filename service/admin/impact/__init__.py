"""The impact report for sponsors: participation, exchange, learning, content and
continuing pairs for a period, a team or a theme, as a page, a CSV and a printable page.
Counts only: no names, no message text, and no figure for a group of fewer than 5 people."""
