CREATE TABLE login (
    id integer PRIMARY KEY,
    email text CONSTRAINT login_email_key UNIQUE,
    provider text,
    subject text,
    CONSTRAINT login_provider_subject_key UNIQUE NULLS NOT DISTINCT (provider, subject)
);
