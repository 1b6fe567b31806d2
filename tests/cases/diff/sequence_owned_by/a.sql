CREATE TABLE note (
    id bigint NOT NULL,
    body text
);
CREATE SEQUENCE note_id_seq;
