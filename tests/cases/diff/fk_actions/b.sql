CREATE TABLE folder (id integer PRIMARY KEY);
CREATE TABLE file (
    id integer PRIMARY KEY,
    folder_id integer,
    CONSTRAINT file_folder_fk FOREIGN KEY (folder_id) REFERENCES folder
        ON UPDATE RESTRICT ON DELETE SET NULL (folder_id)
);
