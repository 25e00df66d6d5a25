"""What a run says: every series, ranking, decision and finding, computed from the model. Draws nothing and
imports no drawing library; presentation (the charts and the report) only draws what is computed here."""
