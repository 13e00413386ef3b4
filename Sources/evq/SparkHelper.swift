/// Spark's client for `evq --engine spark:DIR`: a Python program over PySpark that `SparkEngine` writes into a
/// private folder and starts, once per session. It speaks evq-postgres's protocol (`EngineClient`):
///
///     query N\n<SQL>                   →  ok N\n<the rows as CSV, a header line first, NULL as an empty field>
///     push N\n<a line per table>       →  ok 0\n   (each table's CSV file made Parquet in DIR, all or nothing)
///     any failure                      →  error KIND N\n<message>
///
/// A push line is `TABLE\tSCHEMA\tCSV FILE\tPARTITION COLUMNS`, the schema in Spark's DDL. KIND is not-installed,
/// unreachable, missing-table or failed. The data folder is `$EVQ_SPARK_DIR`; the master `$EVQ_SPARK_MASTER`
/// (`local[*]`, `spark://HOST:7077`, or a Spark Connect `sc://HOST:15002`). Spark's own output goes to standard
/// error: standard output carries only answers.
enum SparkHelper {
    static let script = #"""
import csv, io, os, shutil, sys

answers = os.fdopen(os.dup(1), "wb")
os.dup2(2, 1)  # the JVM and PySpark print to standard output; answers have a descriptor of their own
requests = sys.stdin.buffer
folder = os.environ.get("EVQ_SPARK_DIR", "")
master = os.environ.get("EVQ_SPARK_MASTER", "") or "local[*]"
tables = ["sources", "entities", "metrics", "facts", "fact_links", "events", "rankings"]


class Failure(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def answer(head, body):
    answers.write(("%s %d\n" % (head, len(body))).encode())
    answers.write(body)
    answers.flush()


session = None


def spark():
    global session
    if session is not None:
        return session
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        raise Failure("not-installed", "PySpark cannot be imported by %s: %s" % (sys.executable, e))
    try:
        builder = SparkSession.builder.appName("evq")
        builder = builder.remote(master) if master.startswith("sc://") else builder.master(master)
        session = (builder.config("spark.ui.enabled", "false")
                   .config("spark.sql.shuffle.partitions", "8")
                   .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                   .getOrCreate())
        if not master.startswith("sc://"):
            session.sparkContext.setLogLevel("ERROR")
    except Exception as e:
        raise Failure("unreachable", "Spark at %s did not start: %s" % (master, first_line(e)))
    for name in tables:
        try:
            session.read.parquet(os.path.join(folder, name)).createOrReplaceTempView(name)
        except Exception:
            pass  # a table not pushed is missing when a query names it
    return session


def first_line(e):
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def query(sql):
    try:
        frame = spark().sql(sql)
        rows = frame.collect()
    except Failure:
        raise
    except Exception as e:
        text = str(e)
        kind = "missing-table" if "TABLE_OR_VIEW_NOT_FOUND" in text else "failed"
        raise Failure(kind, first_line(e))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return out.getvalue().encode("utf-8")


def push(lines):
    s = spark()
    from pyspark.sql import functions as F
    staging = folder.rstrip("/") + ".evq-new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for line in lines:
            name, schema, path, partitions = line.split("\t")
            frame = (s.read.schema(schema).option("header", True).option("multiLine", True)
                     .option("escape", '"').option("mode", "FAILFAST").csv(path))
            columns = [c for c in partitions.split(",") if c]
            if "year" in columns:
                frame = frame.withColumn("year", F.when(F.col("start_month") <= F.col("end_month"),
                                                        F.floor(F.col("start_month") / 12)).cast("int"))
            target = os.path.join(staging, name)
            if columns:
                frame.repartition(*columns).write.partitionBy(*columns).parquet(target)
            else:
                frame.coalesce(1).write.parquet(target)
        old = folder.rstrip("/") + ".evq-old"
        shutil.rmtree(old, ignore_errors=True)
        if os.path.exists(folder):
            os.rename(folder, old)
        os.rename(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    except Failure:
        raise
    except Exception as e:
        raise Failure("failed", first_line(e))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return b""


while True:
    head = requests.readline()
    if not head:
        break
    verb, _, size = head.decode().strip().partition(" ")
    body = requests.read(int(size or "0")).decode("utf-8")
    try:
        if verb == "query":
            answer("ok", query(body))
        elif verb == "push":
            answer("ok", push([l for l in body.split("\n") if l]))
        else:
            raise Failure("failed", "unknown request '%s'" % verb)
    except Failure as f:
        answer("error " + f.kind, str(f).encode("utf-8", "replace"))
    except Exception as e:
        answer("error failed", first_line(e).encode("utf-8", "replace"))
"""#
}
