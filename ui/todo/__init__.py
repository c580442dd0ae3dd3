"""The Att göra page: what needs the user today, computed by `sipdesk.todo` (`model`, `view`)."""
