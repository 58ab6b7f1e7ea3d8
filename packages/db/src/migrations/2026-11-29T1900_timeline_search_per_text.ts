import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A generated column runs to_tsvector on every row (~56 µs), though most rows share their title, summary and
  // source with others: the projection now computes each distinct text once per batch and writes the column
  // itself. DROP EXPRESSION keeps the stored values and the GIN index.
  await sql`ALTER TABLE timeline ALTER COLUMN search DROP EXPRESSION`.execute(db)
  await sql`ALTER TABLE timeline ALTER COLUMN search SET NOT NULL`.execute(db)
  // Other writers (fixtures, the query bench) still insert rows without it. Must mirror the projection's
  // per-text parts (services/projection/src/timeline/insert-rows.ts). A rebuild's shadow table does not copy
  // this trigger; NOT NULL, which it does copy, refuses such a row there instead of storing it unsearchable.
  await sql`
    CREATE FUNCTION timeline_fill_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search := setweight(to_tsvector('english', NEW.title), 'A')
        || setweight(to_tsvector('english', NEW.summary || ' ' || coalesce(NEW.product_text, '')), 'B')
        || setweight(to_tsvector('english', NEW.source_title || ' ' || coalesce(NEW.source_quote, '')), 'C');
      RETURN NEW;
    END $$`.execute(db)
  await sql`
    CREATE TRIGGER timeline_search_filled BEFORE INSERT ON timeline
    FOR EACH ROW WHEN (NEW.search IS NULL) EXECUTE FUNCTION timeline_fill_search()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER timeline_search_filled ON timeline`.execute(db)
  await sql`DROP FUNCTION timeline_fill_search()`.execute(db)
  await sql`ALTER TABLE timeline DROP COLUMN search`.execute(db)
  await sql`
    ALTER TABLE timeline ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', title), 'A')
      || setweight(to_tsvector('english', summary || ' ' || coalesce(product_text, '')), 'B')
      || setweight(to_tsvector('english', source_title || ' ' || coalesce(source_quote, '')), 'C')
    ) STORED`.execute(db)
  await sql`CREATE INDEX timeline_search_idx ON timeline USING gin (search)`.execute(db)
}
