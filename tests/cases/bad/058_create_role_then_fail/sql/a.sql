CREATE ROLE sct_bad_case_role NOLOGIN;
