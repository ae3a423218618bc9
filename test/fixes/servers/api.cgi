#!/bin/sh
# The Apache proof server's app: /api/data, /api/private (needs Authorization), /api/error (500).
case "$PATH_INFO" in
  /error) printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nerror' ;;
  /private)
    if [ -z "$HTTP_AUTHORIZATION" ]; then
      printf 'Status: 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\nunauthorized'
    else
      printf 'Content-Type: text/plain\r\n\r\nsecret'
    fi ;;
  *) printf 'Content-Type: text/plain\r\n\r\nok' ;;
esac
