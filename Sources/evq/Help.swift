/// The REPL's `.help` text: an overview, and a topic per statement with examples that run as shown.
enum Help {
    static let overview = """
        Statements (end with ';' or Return; .help TOPIC for examples):
          compare   compare entities side by side, with the difference and the leader
          show      a metric's figures: stated facts, or the value for a period
          total     a period's total and the parts it was summed from
          growth    change against the year, quarter or month before (yoy, qoq, mom)
          top       rank models, brands or makers by a metric for a period
          trend     a metric month by month (or by quarter), with the change
          events    dated events: launches, records, price cuts
          describe  what EVQ knows about an entity
          list      list entities, metrics, sources or events
          let/print arithmetic on figures; bounds carry through
          explain   the logical plan of a statement
          why       a query's numbers traced to their facts, articles and lines (.why: the last answer)
          sources   the articles, with how many facts each supports
          load      add a facts, entities or metrics file: load "mine.csv"
          chart     draw an answer in the terminal: chart QUERY, or QUERY as chart
          plot      draw an answer as an SVG picture: plot QUERY to "race.svg"
        A page of a whole script, every figure cited: evq report SCRIPT.evq -o page.html
        Periods: 2025, 2025-04, apr 2025, q1 2025, 2025-q1, h2 2025, from jan 2025 to oct 2025, 2025-01..2025-10
        Names: ids (su7-ultra), "quoted aliases" ("Model Y"), Chinese (小米, 问界). Tab completes.
        Marks: >28,000 at least · <5% at most · ≈ about · * derived (see the note) · ‡ sources disagree · — unknown
        Meta-commands:
          .help [TOPIC]     this text, or examples for a statement (.help compare)
          .format FORMAT    table, csv, json, markdown or html (a page per answer)
          .maxrows N|off    show at most N rows of a table
          .pager on|off|auto   page answers through $PAGER (less -FRSX); auto: those taller than the screen
          .last             the last answer again, every row
          .timer on|off     show how long each statement took
          .read FILE        run a script file
          .why              where every number of the last answer came from
          .history          the statements entered so far
          .entities  .metrics  .sources   the catalogue
          .engine [ENGINE]  where the facts come from: memory, duckdb:FILE or postgres://… (see evq push)
          .quit             leave (or Ctrl-D)
        """

    static let topics: [String: String] = [
        "compare": """
            compare ENTITY ENTITY… [by GRAIN] [PERIOD]   — a column per entity, the difference and the leader
              compare xiaomi hima by month 2025
              compare xiaomi and hima in 2025-04
              compare yu7 vs "model y" in oct 2025
              compare deliveries of xiaomi, hima by quarter 2025
            """,
        "show": """
            show METRIC of ENTITY [PERIOD] [by GRAIN]   — without a period, every stated fact with its source
              show deliveries of xiaomi in q1 2025
              show deliveries of xiaomi by quarter 2025
              show price of su7
              show stores of xiaomi
            """,
        "total": """
            total METRIC of ENTITY PERIOD   — the figure for a period and the facts it was built from
              total deliveries of xiaomi from jan 2025 to oct 2025
              total deliveries of xiaomi in 2025
            """,
        "growth": """
            growth of METRIC of ENTITY yoy|qoq|mom PERIOD   — against the same span a year, quarter or month earlier
              growth of deliveries of xiaomi yoy in q3 2025
              growth of deliveries of xiaomi qoq in q1 2025
            """,
        "top": """
            top N KIND by METRIC PERIOD   — KIND: models, brands, makers, alliances, groups, entities
              top 3 models by deliveries in 2025-10
            """,
        "trend": """
            trend METRIC of ENTITY [by GRAIN] [PERIOD]   — from the first to the last known figure, with the change
              trend deliveries of xiaomi by month
              trend deliveries of xiaomi by quarter from 2024-q3 to 2025-q4
            """,
        "events": """
            events [of ENTITY…] [PERIOD]   — an entity's events include its models'
              events of xiaomi in 2025
              events of hima
            """,
        "describe": """
            describe ENTITY   — kind, parent, partner, members, aliases, the facts known
              describe hima
              describe 小米
            """,
        "list": """
            list entities | metrics | sources | events
              list sources
            """,
        "let": """
            let NAME = EXPRESSION ; print EXPRESSION   — + - * / and parentheses; bounds and sources carry through
              let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025
              print gap
              print price of su7-ultra / 1000
            """,
        "load": """
            load "FILE"   — adds a facts, entities or metrics file (told apart by its header), all or nothing
              load "registrations.csv"
            """,
        "chart": """
            chart QUERY, or QUERY as chart   — the answer drawn in the terminal; bounds look like bounds
              compare xiaomi hima by month 2025 as chart
              chart top 3 models by deliveries in 2025-10
              trend deliveries of xiaomi by quarter from 2024-q3 to 2025-q4 as chart
            """,
        "plot": """
            plot QUERY to "FILE.svg"   — the answer as an SVG picture (evq report puts them in a page)
              plot compare xiaomi hima by month 2025 to "race.svg"
              plot trend deliveries of xiaomi by quarter from 2024-q3 to 2025-q4 to "trend.svg"
            """,
        "why": """
            why STATEMENT   — every number of the answer with its facts: article, line, bound, derivation
              why compare xiaomi hima in 2025-05
              why total deliveries of xiaomi in 2025
            """,
        "explain": """
            explain STATEMENT   — the logical plan: Scan, Exact | Bounds, RollUp, Grid, Compare…
              explain compare xiaomi hima by month 2025
            """,
    ]

    /// The topic `.help [TOPIC]` asks for ("" for the overview), when `line` is that meta-command.
    static func requested(in line: String) -> String? {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.first == ".help", words.count <= 2 else { return nil }
        return words.count == 2 ? words[1] : ""
    }

    static func text(topic: String?) -> String {
        guard let topic = topic?.lowercased(), !topic.isEmpty else { return overview + "\n" }
        let key = topic == "print" ? "let" : topic
        if let text = topics[key] { return text + "\n" }
        return "no help on '\(topic)'; topics: \(topics.keys.sorted().joined(separator: ", "))\n"
    }
}
