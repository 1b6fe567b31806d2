CREATE TABLE note (
    id bigint NOT NULL,
    body text
);
CREATE SEQUENCE note_id_seq OWNED BY note.id;
ALTER TABLE note ALTER COLUMN id SET DEFAULT nextval('note_id_seq');
