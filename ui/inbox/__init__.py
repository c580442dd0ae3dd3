"""The Inkorg page: the mailbox model over the core's folders (`model`), the page with folders,
search, the message list and the reading pane (`view`, `folders`, `mail_table`,
`reading_pane`), what the page does with messages (`commands`), and the dialogs for writing,
answering a kallelse and withdrawing a message (`compose`, `answer`, `withdraw`)."""
