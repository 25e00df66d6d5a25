"""Charts and the report from ipcbench results: python3 -m plots.render RUN.json, python3 -m plots.report RUN.json."""
