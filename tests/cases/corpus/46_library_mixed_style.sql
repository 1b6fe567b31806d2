-- Library loans in a mixed hand-written style: lower case, quoted mixed-case names,
-- IF NOT EXISTS everywhere, CREATE OR REPLACE VIEW, ADD COLUMN IF NOT EXISTS.

create schema if not exists library;

create table if not exists library."Books" (
  "BookId" integer primary key,
  "Title" text not null,
  "ISBN" varchar(17) unique
);

create table if not exists library.members (
  id integer generated always as identity primary key,
  "Full Name" text not null,
  joined date not null default current_date
);

create table if not exists library.loans (
  book_id integer not null references library."Books" ("BookId"),
  member_id integer not null references library.members (id),
  lent_on date not null default current_date,
  due_on date not null,
  returned_on date,
  primary key (book_id, lent_on),
  check (due_on > lent_on)
);

alter table library.loans add column if not exists renewals smallint not null default 0;

create index if not exists loans_member_idx on library.loans (member_id) where returned_on is null;

create or replace view library."Overdue Loans" as
  select b."Title", m."Full Name", l.due_on
  from library.loans l
  join library."Books" b on b."BookId" = l.book_id
  join library.members m on m.id = l.member_id
  where l.returned_on is null and l.due_on < current_date;

comment on table library."Books" is 'One row per title, not per copy.';

comment on column library.members."Full Name" is 'As printed on the card.';
