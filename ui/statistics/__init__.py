"""The Statistik page (issue 15): the period and scope pickers (`period_picker`), the table of
figures (`model`), the charts (`charts`, QtCharts, imported when first needed) and the page
itself (`view`)."""
