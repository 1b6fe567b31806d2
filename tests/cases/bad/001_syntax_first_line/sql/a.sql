CREAT TABLE companies (id int PRIMARY KEY);
