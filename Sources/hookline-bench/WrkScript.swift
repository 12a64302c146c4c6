import Foundation

/// The Lua script `wrk -s` runs for every load phase, written into the run's work directory.
///
/// Each request is a message create with a unique ~1 KiB body (`thread` and a per-thread counter `n` in
/// the payload). Arguments after `--`, in order:
/// 1. `prefix`: a path prefix; each thread touches `PREFIX-THREAD.done` once it reached its quota, and
///    writes the `id` of every 2xx answer to `PREFIX-THREAD.ids` when collecting (one per line, followed
///    by the send time when stamping);
/// 2. `quota`: 2xx answers after which a thread stops (0: run for the whole duration);
/// 3. `rate`: requests per second per thread, paced by `delay()` against a fixed schedule (0: flat out);
/// 4. `stamp`: `1` puts the send time (µs since the epoch, CLOCK_REALTIME) into the message's `eventId`,
///    which the 202 body echoes, so each id can be paired with its send time;
/// 5. `deliverAt`: an ISO 8601 instant for every message, or `-`;
/// 6. `collect`: `1` to write the ids files;
/// 7. `keyed`: `1` sends an `idempotency-key` unique to each request (`auto_` and a per-run prefix), as the Svix
///    SDKs do on every POST.
///
/// `done()` prints one line starting with ``WrkResult/marker`` with wrk's counts and latency
/// percentiles (µs) and the 2xx/non-2xx counts of every thread.
enum WrkScript {
    /// Writes the script to `directory/load.lua` and returns its path.
    static func write(into directory: URL) throws -> String {
        let url = directory.appendingPathComponent("load.lua")
        try Data(source.utf8).write(to: url)
        return url.path
    }

    /// The script text.
    static let source = #"""
        -- hookline-bench load script (see WrkScript.swift). wrk runs it with LuaJIT, so ffi is there.
        local ffi = require("ffi")
        ffi.cdef[[
        typedef struct { long tv_sec; long tv_nsec; } hookline_bench_timespec;
        int clock_gettime(int clock, hookline_bench_timespec *ts);
        ]]
        local clock = ffi.new("hookline_bench_timespec")
        local function now_us()
          ffi.C.clock_gettime(0, clock)
          return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
        end

        local threads = {}
        function setup(thread)
          thread:set("tid", #threads)
          table.insert(threads, thread)
        end

        acked, rejected, last_status = 0, 0, 0
        local counter, quota, interval_us, stamp, tail = 0, 0, 0, false, ""
        local ids, done_path, started, slot = nil, nil, 0, 0
        local keyed, key_prefix = false, ""
        local pad = string.rep("x", 960)

        function init(args)
          done_path = args[1] .. "-" .. tid .. ".done"
          if args[6] == "1" then ids = io.open(args[1] .. "-" .. tid .. ".ids", "w") end
          quota = tonumber(args[2])
          local rate = tonumber(args[3])
          if rate > 0 then interval_us = 1000000 / rate end
          stamp = args[4] == "1"
          if args[5] ~= "-" then tail = ',"deliverAt":"' .. args[5] .. '"' end
          started = now_us()
          keyed = args[7] == "1"
          key_prefix = "auto_" .. string.format("%.0f", started) .. "-" .. tid .. "-"
        end

        function request()
          counter = counter + 1
          local extra = tail
          if stamp then extra = extra .. ',"eventId":"b' .. tid .. '-' .. counter .. '-' .. string.format("%.0f", now_us()) .. '"' end
          local body = '{"eventType":"bench.event","payload":{"thread":' .. tid .. ',"n":' .. counter ..
            ',"pad":"' .. pad .. '"}' .. extra .. '}'
          if keyed then
            local headers = {}
            for name, value in pairs(wrk.headers) do headers[name] = value end
            headers["idempotency-key"] = key_prefix .. counter
            return wrk.format("POST", nil, headers, body)
          end
          return wrk.format("POST", nil, nil, body)
        end

        function delay()
          if interval_us == 0 then return 0 end
          slot = slot + 1
          local wait = (started + slot * interval_us - now_us()) / 1000
          if wait < 1 then return 0 end
          return wait
        end

        function response(status, headers, body)
          if status < 200 or status > 299 then
            rejected = rejected + 1
            last_status = status
            return
          end
          acked = acked + 1
          if ids then
            local id = body:match('"id":"([^"]+)"') or "?"
            if stamp then
              ids:write(id, " ", body:match('"eventId":"b%d+%-%d+%-(%d+)"') or "0", "\n")
            else
              ids:write(id, "\n")
            end
          end
          if quota > 0 and acked == quota then
            if ids then ids:flush() end
            io.open(done_path, "w"):close()
            wrk.thread:stop()
          end
        end

        function done(summary, latency, requests)
          local a, r, s = 0, 0, 0
          for _, thread in ipairs(threads) do
            a = a + thread:get("acked")
            r = r + thread:get("rejected")
            if thread:get("last_status") ~= 0 then s = thread:get("last_status") end
          end
          local e = summary.errors
          io.write(string.format(
            "HOOKLINE-BENCH-WRK requests=%d acked=%d non2xx=%d last_status=%d duration_us=%d " ..
            "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d " ..
            "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f\n",
            summary.requests, a, r, s, summary.duration, e.connect, e.read, e.write, e.timeout,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
            latency.max, latency.mean))
        end
        """#
}
