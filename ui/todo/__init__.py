"""The Att göra page: what needs the user today, computed by `sipdesk.desk.todo` (`model`,
`view`)."""
