-- PostgreSQL 17: MERGE ... WHEN NOT MATCHED BY SOURCE ... RETURNING merge_action().
-- expect: ok
-- since: 17
-- pg15: error 5:70 42601 syntax error at or near "BY"
MERGE INTO accounts a USING staged s ON a.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE WHEN MATCHED THEN DO NOTHING RETURNING merge_action(), a.id;
