"""Working on a deal together (issue [5], item 6): the comment thread between the partner and
BD, next steps with a due date, attachments (proposal, customer letter) on an opportunity.

models.py (imported by `opportunities.models`), services.py (every write, with the permission
check), selectors.py (reads for the deal page and the API), views.py, api.py."""
