CREATE TABLE profiles (id uuid PRIMARY KEY REFERENCES auth.users(id));
CREATE POLICY own ON profiles USING (id = (SELECT auth.uid()));
