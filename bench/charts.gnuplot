# PNG charts from bench/results (data reshaped by lib/chartdata.py); run through bench/charts.sh.
set terminal pngcairo size 900,520 font "DejaVu Sans,10"
set grid ytics
set datafile missing "-"
set key top left

set output OUT."/processor.png"
set title "Annotation processor CPU overhead over javac -proc:none (N services among M plain classes; the M with the most N)\nmedian of paired runs, bars: min..max; CPU seconds (user+sys)"
set xlabel "N annotated services (log axis)"
set ylabel "extra CPU seconds"
set logscale x
set yrange [0:*]
plot DATA."/processor.dat" using 1:2:3:4 with yerrorlines lw 2 pt 7 title "Growbin, inputs changed (everything rendered)", \
     "" using 1:5:6:7 with yerrorlines lw 2 pt 9 title "Growbin, inputs unchanged (no-op compile)", \
     "" using 1:8:9:10 with yerrorlines lw 2 pt 5 title "Dekorate 4.1.5"
unset logscale x
unset xrange

set output OUT."/rest.png"
set title "REST: requests per second (wrk, 64 connections; log scale); bars: median, whiskers: min..max"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xlabel ""
set ylabel "requests/s"
set xtics rotate by -20
set logscale y
set yrange [100:*]
set key below horizontal
plot DATA."/rest.dat" using 2:3:4:xtic(1) title "Growbin runtime (JDK 17)", \
     "" using 5:6:7 title "Growbin runtime (JDK 25)", \
     "" using 8:9:10 title "Growbin + proposed fix (POST, JDK 17)", \
     "" using 11:12:13 title "FastAPI + uvicorn"

unset logscale y
set output OUT."/workers.png"
set title "Workers: tasks per second (trivial: concurrency 2; io: 50 ms sleep, concurrency 100)"
set ylabel "tasks/s"
set logscale y
set yrange [10:*]
plot DATA."/workers.dat" using 2:3:4:xtic(1) title "ceiling: bare amqp-client consume + ack", \
     "" using 5:6:7 title "Growbin Java worker", \
     "" using 8:9:10 title "Java worker before this round (main)", \
     "" using 11:12:13 title "Celery 5.2"
unset logscale y
set yrange [0:*]

set output OUT."/memory.png"
set title "Peak resident memory under load vs the prod Deployment's memory limit"
set ylabel "MiB"
set style histogram clustered gap 2
plot DATA."/memory.dat" using 2:xtic(1) title "peak RSS under load (VmHWM)", \
     "" using 3 title "limits.memory (k8s-out/prod)"
