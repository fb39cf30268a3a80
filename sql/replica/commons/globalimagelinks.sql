-- view: globalimagelinks (only on a file wiki: a wiki whose database name contains "commons")
-- GlobalUsage's table, as a view: one branch (globalimagelinks.branch.sql) per *other* wiki named on
-- the command line, joined by UNION ALL into {branches}. A condition on gil_to or gil_wiki is pushed
-- into every branch by the optimizer. Columns in GlobalUsage's order.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`globalimagelinks` AS
{branches};
