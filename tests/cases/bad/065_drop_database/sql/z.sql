-- clean slate
DROP DATABASE IF EXISTS postgres;
