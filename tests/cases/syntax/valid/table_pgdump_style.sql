-- pg_dump's CREATE TABLE: schema-qualified, spelled-out types, a cast default.
-- expect: ok
CREATE TABLE public.t (
    id integer NOT NULL,
    name character varying(100) DEFAULT 'x'::character varying
);
