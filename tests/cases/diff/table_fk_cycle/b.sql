CREATE TABLE department (
    id integer PRIMARY KEY,
    head_id integer
);
CREATE TABLE employee (
    id integer PRIMARY KEY,
    department_id integer REFERENCES department
);
ALTER TABLE department
    ADD CONSTRAINT department_head_fk FOREIGN KEY (head_id) REFERENCES employee;
