"""Pages of the measures plan, one module per family: plans, building, reports, evidence."""
