CREATE TABLE membership (
    tenant_id integer NOT NULL,
    user_id integer NOT NULL,
    CONSTRAINT membership_pkey PRIMARY KEY (tenant_id, user_id)
);
