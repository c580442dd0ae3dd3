"""The tabs of the case view, one module each; `ui.case_view.CASE_TABS` lists them in order."""
