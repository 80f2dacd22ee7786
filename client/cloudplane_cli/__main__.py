from cloudplane_cli.main import main

main()
