wrk.method = "POST"
wrk.body = '{"imageRef": "s3://growbin-bench/items/bottle-0001.jpg"}'
wrk.headers["Content-Type"] = "application/json"
