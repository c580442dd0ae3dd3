"""Export (issue 15): the cases as a spreadsheet for the municipality's own follow-up
(`case_rows` builds the rows, `case_files` writes them as XLSX or CSV and logs the export), and
an approved plan as structured data a case-record system can import (`plan_json`).

Nothing here imports Qt: the command line (`sipdesk export …`) and Arkiv → Exportera… call the
same functions.
"""
