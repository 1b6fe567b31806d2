CREATE TABLE folder (id integer PRIMARY KEY);
CREATE TABLE file (
    id integer PRIMARY KEY,
    folder_id integer CONSTRAINT file_folder_fk REFERENCES folder ON DELETE CASCADE
);
