CREATE TABLE team (id bigint PRIMARY KEY);
CREATE TABLE player (
    id integer PRIMARY KEY,
    team_id bigint REFERENCES team
);
