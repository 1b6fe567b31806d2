CREATE TABLE team (id integer PRIMARY KEY);
CREATE TABLE player (
    id integer PRIMARY KEY,
    team_id integer REFERENCES team
);
